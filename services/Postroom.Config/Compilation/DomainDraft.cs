using Postroom.Config.Model;
using Postroom.Config.Snapshot;

namespace Postroom.Config.Compilation;

/// <summary>One resource after field validation, before aliases are expanded across domains.</summary>
internal sealed class DomainDraft(MailDomain resource, string domain)
{
    public MailDomain Resource { get; } = resource;

    public string Name => Resource.DisplayName;

    public string Domain { get; } = domain;

    public List<string> AliasDomains { get; } = [];

    public string Delimiters { get; set; } = "+-";

    public Dictionary<string, CompiledUser> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Every validly named user, including those whose other fields are invalid.</summary>
    public HashSet<string> DeclaredUsers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AliasDraft> Aliases { get; } = new(StringComparer.Ordinal);

    public CatchAllAction CatchAll { get; set; } = CatchAllAction.Reject;

    public string? CatchAllTarget { get; set; }

    public long? MaxMessageSize { get; set; }

    public CompiledOutbound? Outbound { get; set; }

    public ReclaimPolicy ReclaimPolicy { get; set; } = ReclaimPolicy.Retain;

    public List<ConfigError> Errors { get; } = [];

    public void Error(string field, string message, string reason = ConfigErrorReasons.InvalidSpec) =>
        Errors.Add(new ConfigError(Name, field, reason, message));
}

/// <summary>An alias with its raw targets and the field path of each, for error messages.</summary>
internal sealed record AliasDraft(string Address, int Index, IReadOnlyList<string> Targets);
