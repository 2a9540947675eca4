using System.Diagnostics;
using Postroom.Passwords;
using Postroom.Testing;

namespace Postroom.Ingress.Tests;

/// <summary><c>postroom passwd</c> prints a hash the compiler accepts and that verifies the password.</summary>
public sealed class PasswdCommandTests
{
    [Fact]
    public async Task Prints_an_argon2id_hash_of_the_password_on_standard_input()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryRoot.Find(), "services", "Postroom.AllInOne", "bin", configuration, "net10.0", "postroom.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("passwd");

        using var process = Process.Start(info)!;
        await process.StandardInput.WriteLineAsync("correct horse battery staple");
        process.StandardInput.Close();
        var hash = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.StartsWith("$argon2id$v=19$", hash, StringComparison.Ordinal);
        Assert.Equal(PasswordVerificationResult.Valid, PasswordHasher.Verify("correct horse battery staple", hash).Result);
        Assert.Equal(PasswordVerificationResult.Invalid, PasswordHasher.Verify("wrong", hash).Result);
    }
}
