using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Config.Compilation;
using Postroom.Config.Loading;
using Postroom.Config.Snapshot;

namespace Postroom.Hosting.Config;

/// <summary>
/// The all-in-one host's configuration: MailDomain YAML files in a folder, compiled with the same compiler the
/// operator runs, recompiled when a file changes. A broken edit is logged and the last good snapshot stays.
/// </summary>
/// <remarks>
/// Changes are found by polling a fingerprint of the files (names, sizes, write times) once a second rather
/// than with inotify: a poll cannot miss a change made while it was starting, and it sees the symlink swaps
/// Kubernetes uses to update mounted ConfigMaps, which file watchers often miss.
/// </remarks>
public sealed partial class FileConfigSnapshotSource(string directory, ILogger<FileConfigSnapshotSource> logger) : BackgroundService, IConfigSnapshotSource
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private ConfigSnapshot _current = ConfigSnapshot.Empty;
    private string _loadedFingerprint = "";

    public ConfigSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Loads the folder once; call before serving so the first connection sees the configuration.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        _loadedFingerprint = Fingerprint();
        var loaded = await MailDomainYamlLoader.LoadDirectoryAsync(directory, cancellationToken).ConfigureAwait(false);
        var result = ConfigCompiler.Compile(loaded.MailDomains, loaded.Secrets);
        var errors = loaded.Errors.Concat(result.Errors).ToList();
        foreach (var error in errors)
        {
            ConfigError(logger, error.ToString());
        }

        var first = Current == ConfigSnapshot.Empty;
        if (errors.Count > 0 && !first)
        {
            KeptLastGood(logger, Current.Version, errors.Count);
            return;
        }

        if (result.Snapshot.Version != Current.Version)
        {
            Volatile.Write(ref _current, result.Snapshot);
            Loaded(logger, directory, result.Snapshot.Domains.Count, result.Snapshot.Version);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (Fingerprint() == _loadedFingerprint)
            {
                continue;
            }

            try
            {
                await LoadAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // A file caught mid-write: the next tick sees it again.
                _loadedFingerprint = "";
                ConfigError(logger, e.Message);
            }
        }
    }

    /// <summary>Names, sizes and write times of the YAML files, resolving symlinks.</summary>
    private string Fingerprint()
    {
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => new FileInfo(f))
            .Select(f => f.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? f)
            .Select(f => $"{f.FullName}:{(f.Exists ? f.Length : -1)}:{(f.Exists ? f.LastWriteTimeUtc.Ticks : 0)}");
        return string.Join("|", files);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "configuration from {Directory}: {Domains} domains, snapshot {Version}")]
    private static partial void Loaded(ILogger logger, string directory, int domains, string version);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "configuration error: {Error}")]
    private static partial void ConfigError(ILogger logger, string error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "{Count} configuration errors: keeping snapshot {Version}")]
    private static partial void KeptLastGood(ILogger logger, string version, int count);
}
