namespace Postroom.Passwords;

/// <summary>
/// Argon2id parameters for new password hashes. The defaults are OWASP's recommended minimum
/// (Password Storage Cheat Sheet): m=19456 KiB (19 MiB), t=2, p=1, with a 16-byte random salt and
/// a 32-byte hash.
/// </summary>
public sealed record PasswordHashingOptions
{
    /// <summary>The defaults: m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte hash.</summary>
    public static PasswordHashingOptions Default { get; } = new();

    /// <summary>Memory cost in KiB (Argon2 <c>m</c>); at least 8 per lane, at most 4 GiB.</summary>
    public int MemoryKib { get; init; } = 19456;

    /// <summary>Number of passes over memory (Argon2 <c>t</c>); 1..1000.</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>Number of lanes (Argon2 <c>p</c>); 1..255.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Random salt length in bytes; 8..1024.</summary>
    public int SaltLength { get; init; } = 16;

    /// <summary>Hash output length in bytes; 4..1024.</summary>
    public int HashLength { get; init; } = 32;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a parameter is outside its range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1, nameof(Parallelism));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Parallelism, Argon2Phc.MaxParallelism, nameof(Parallelism));
        ArgumentOutOfRangeException.ThrowIfLessThan(Iterations, 1, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Iterations, Argon2Phc.MaxIterations, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(MemoryKib, 8 * Parallelism, nameof(MemoryKib));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MemoryKib, Argon2Phc.MaxMemoryKib, nameof(MemoryKib));
        ArgumentOutOfRangeException.ThrowIfLessThan(SaltLength, Argon2Phc.MinSaltBytes, nameof(SaltLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SaltLength, Argon2Phc.MaxSaltBytes, nameof(SaltLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(HashLength, Argon2Phc.MinHashBytes, nameof(HashLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HashLength, Argon2Phc.MaxHashBytes, nameof(HashLength));
    }
}
