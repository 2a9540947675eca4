namespace Postroom.Config.Compilation;

/// <summary>One problem in one resource: which resource, which field, why.</summary>
/// <param name="Resource">"namespace/name", or the file and name for resources loaded from YAML.</param>
/// <param name="Field">The field path, e.g. <c>spec.users[2].password</c>.</param>
/// <param name="Reason">A CamelCase reason from <see cref="ConfigErrorReasons"/>, used as the status condition reason.</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record ConfigError(string Resource, string Field, string Reason, string Message)
{
    public override string ToString() => $"{Resource}: {Field}: {Message}";
}

/// <summary>Reasons a resource is not accepted; the operator uses them as condition reasons.</summary>
public static class ConfigErrorReasons
{
    public const string InvalidSpec = "InvalidSpec";
    public const string DomainConflict = "DomainConflict";
    public const string SecretNotFound = "SecretNotFound";
}
