using Postroom.Config.Snapshot;

namespace Postroom.Config.Compilation;

/// <summary>
/// The outcome of one compilation. The snapshot holds every accepted resource; a rejected resource is left
/// out whole and its errors say why, so one bad resource never takes the other domains down with it.
/// </summary>
public sealed record CompileResult(ConfigSnapshot Snapshot, IReadOnlyList<ResourceOutcome> Resources)
{
    /// <summary>Every error of every resource.</summary>
    public IReadOnlyList<ConfigError> Errors { get; } = Resources.SelectMany(r => r.Errors).ToList();

    public bool Succeeded => Errors.Count == 0;

    public ResourceOutcome? For(string resource) => Resources.FirstOrDefault(r => r.Resource == resource);
}

/// <summary>What happened to one resource.</summary>
/// <param name="Resource">"namespace/name".</param>
/// <param name="Domain">The normalised domain it claims, when it had a valid one.</param>
/// <param name="Accepted">Whether it is part of the snapshot.</param>
/// <param name="Errors">Why not, with field paths.</param>
/// <param name="Users">Number of users when accepted.</param>
/// <param name="Aliases">Number of aliases when accepted.</param>
public sealed record ResourceOutcome(
    string Resource,
    string? Domain,
    bool Accepted,
    IReadOnlyList<ConfigError> Errors,
    int Users,
    int Aliases);
