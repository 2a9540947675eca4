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
public sealed partial class FileConfigSnapshotSource(string directory, ILogger<FileConfigSnapshotSource> logger) : BackgroundService, IConfigSnapshotSource
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private ConfigSnapshot _current = ConfigSnapshot.Empty;

    public ConfigSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Loads the folder once; call before serving so the first connection sees the configuration.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
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
        using var watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = false, EnableRaisingEvents = true };
        var changed = new SemaphoreSlim(0);
        watcher.Changed += (_, _) => changed.Release();
        watcher.Created += (_, _) => changed.Release();
        watcher.Deleted += (_, _) => changed.Release();
        watcher.Renamed += (_, _) => changed.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
            await Task.Delay(Debounce, stoppingToken).ConfigureAwait(false);
            while (changed.CurrentCount > 0)
            {
                await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
            }

            await LoadAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "configuration from {Directory}: {Domains} domains, snapshot {Version}")]
    private static partial void Loaded(ILogger logger, string directory, int domains, string version);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "configuration error: {Error}")]
    private static partial void ConfigError(ILogger logger, string error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "{Count} configuration errors: keeping snapshot {Version}")]
    private static partial void KeptLastGood(ILogger logger, string version, int count);
}
