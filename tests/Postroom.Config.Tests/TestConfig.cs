using Postroom.Config.Compilation;
using Postroom.Config.Loading;

namespace Postroom.Config.Tests;

/// <summary>Compiles YAML written inline in a test, the way a user writes it.</summary>
internal static class TestConfig
{
    /// <summary>A valid Argon2id hash of "jane-password", usable wherever a test needs some hash.</summary>
    public const string Hash = "$argon2id$v=19$m=32768,t=2,p=1$TmNMU0c4ME5qRTg4U1dT$qTIjFRMaXfIFG6yKgvwg4oEHUa/TgymLzZZa+Aa5aM4";

    public static CompileResult Compile(string yaml)
    {
        var loaded = MailDomainYamlLoader.Load("test.yaml", yaml.Replace("HASH", $"\"{Hash}\"", StringComparison.Ordinal));
        Assert.Empty(loaded.Errors);
        return ConfigCompiler.Compile(loaded.MailDomains, loaded.Secrets);
    }

    public static CompileResult CompileValid(string yaml)
    {
        var result = Compile(yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result;
    }
}
