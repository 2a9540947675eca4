using Postroom.Passwords;

namespace Postroom.Config.Snapshot;

/// <summary>Checks a login against the compiled users, the same way for SMTP AUTH, IMAP and POP3.</summary>
public static class UserAuthenticator
{
    // Verified when the login names nobody, so an unknown user costs as much as a wrong password
    // and response times do not reveal which users exist.
    private const string DecoyHash = "$argon2id$v=19$m=32768,t=2,p=1$cG9zdHJvb20tZGVjb3k$MMYxDduh6hc1dqaLYghGkfx0KZbEVrMc0f1DLJXer3o";

    public static AuthenticationResult Authenticate(this ConfigSnapshot snapshot, string login, string password, MailProtocols protocol)
    {
        var account = snapshot.FindUser(login);
        if (account is null)
        {
            PasswordHasher.Verify(password, DecoyHash);
            return new AuthenticationResult(AuthenticationOutcome.InvalidCredentials, null);
        }

        if (PasswordHasher.Verify(password, account.User.PasswordHash).Result != PasswordVerificationResult.Valid)
        {
            return new AuthenticationResult(AuthenticationOutcome.InvalidCredentials, null);
        }

        // Checked only after the password, so these answers are given to the account's owner alone.
        if (!account.User.Enabled)
        {
            return new AuthenticationResult(AuthenticationOutcome.Disabled, account);
        }

        return (account.User.Protocols & protocol) == 0
            ? new AuthenticationResult(AuthenticationOutcome.ProtocolNotAllowed, account)
            : new AuthenticationResult(AuthenticationOutcome.Success, account);
    }
}

public sealed record AuthenticationResult(AuthenticationOutcome Outcome, UserAccount? Account)
{
    public bool Succeeded => Outcome == AuthenticationOutcome.Success;
}

public enum AuthenticationOutcome
{
    Success,
    InvalidCredentials,
    Disabled,
    ProtocolNotAllowed,
}
