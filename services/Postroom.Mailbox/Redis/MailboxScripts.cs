namespace Postroom.Mailbox.Redis;

/// <summary>
/// The Lua scripts of <see cref="RedisMailboxStore"/>, embedded from <c>Redis/Scripts/*.lua</c>;
/// each file documents its keys and steps, and <c>common.lua</c> (helpers) is prepended to each.
/// </summary>
internal static class MailboxScripts
{
    private static readonly string Common = Load("common");

    public static readonly string Create = Common + Load("create");
    public static readonly string Append = Common + Load("append");
    public static readonly string Status = Common + Load("status");
    public static readonly string ClaimRecent = Common + Load("claimrecent");
    public static readonly string Page = Common + Load("page");
    public static readonly string Store = Common + Load("store");
    public static readonly string Expunge = Common + Load("expunge");
    public static readonly string Copy = Common + Load("copy");
    public static readonly string Delete = Common + Load("delete");
    public static readonly string Purge = Common + Load("purge");
    public static readonly string Rename = Common + Load("rename");
    public static readonly string DeleteUser = Common + Load("deleteuser");
    public static readonly string Reference = Load("ref");

    private static string Load(string name)
    {
        var resource = $"Postroom.Mailbox.Scripts.{name}.lua";
        using var stream = typeof(MailboxScripts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd() + "\n";
    }
}
