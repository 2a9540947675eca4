namespace Postroom.Queue;

/// <summary>The Lua scripts of <see cref="RedisMailQueue"/>, embedded from <c>Redis/Scripts/*.lua</c> (each file documents its keys and steps).</summary>
internal static class QueueScripts
{
    public static readonly string Enqueue = Load("enqueue");
    public static readonly string Lease = Load("lease");
    public static readonly string Renew = Load("renew");
    public static readonly string Complete = Load("complete");
    public static readonly string Read = Load("read");
    public static readonly string Delete = Load("delete");
    public static readonly string Flush = Load("flush");

    private static string Load(string name)
    {
        var resource = $"Postroom.Queue.Scripts.{name}.lua";
        using var stream = typeof(QueueScripts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
