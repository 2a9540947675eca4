namespace Postroom.Passwords;

/// <summary>The outcome of <see cref="PasswordHasher.Verify"/>.</summary>
public enum PasswordVerificationResult
{
    /// <summary>The password matches the stored hash.</summary>
    Valid,

    /// <summary>The password does not match, or the stored hash of a known scheme is malformed.</summary>
    Invalid,

    /// <summary>The stored hash uses a scheme Postroom does not verify (or is not a hash at all).</summary>
    UnsupportedScheme,
}

/// <summary>The result of verifying a password against a stored hash.</summary>
/// <param name="Result">Valid, Invalid or UnsupportedScheme.</param>
/// <param name="Message">
/// For a malformed hash or an unsupported scheme, why; null for <see cref="PasswordVerificationResult.Valid"/>
/// and for a plain wrong password. Never contains the password.
/// </param>
public sealed record PasswordVerification(PasswordVerificationResult Result, string? Message = null)
{
    /// <summary>The password matched.</summary>
    public static PasswordVerification Valid { get; } = new(PasswordVerificationResult.Valid);

    /// <summary>The password did not match.</summary>
    public static PasswordVerification Invalid { get; } = new(PasswordVerificationResult.Invalid);

    /// <summary>True only when the password matched.</summary>
    public bool IsValid => Result == PasswordVerificationResult.Valid;

    /// <summary>A stored hash of a known scheme that cannot be parsed; never matches.</summary>
    public static PasswordVerification Malformed(string message) => new(PasswordVerificationResult.Invalid, message);

    /// <summary>A stored hash of an unsupported scheme.</summary>
    public static PasswordVerification Unsupported(string message) => new(PasswordVerificationResult.UnsupportedScheme, message);
}
