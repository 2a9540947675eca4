namespace Postroom.Operator.Reconciliation;

/// <summary>The condition types a MailDomain's status carries.</summary>
public static class ConditionTypes
{
    /// <summary>True when the current generation is part of the published snapshot.</summary>
    public const string Ready = "Ready";

    /// <summary>True when the current generation could not be published (a previous good one may still serve).</summary>
    public const string Degraded = "Degraded";
}

/// <summary>Every CamelCase reason the operator writes into conditions and Events, in one place.</summary>
public static class ConditionReasons
{
    /// <summary>The generation is in the published snapshot.</summary>
    public const string Published = "Published";

    /// <summary>A field is invalid; the message names the field path.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>Another, older resource already claims the domain; the message names it.</summary>
    public const string DomainConflict = "DomainConflict";

    /// <summary>A referenced Secret or key does not exist.</summary>
    public const string SecretNotFound = "SecretNotFound";

    /// <summary>The resource is being deleted and its mailbox data purged (reclaimPolicy Delete).</summary>
    public const string Purged = "Purged";

    /// <summary>The resource is being deleted; its mailbox data is kept (reclaimPolicy Retain).</summary>
    public const string Retained = "Retained";

    /// <summary>Purging the domain's mailbox data failed; the finalizer stays and the purge is retried.</summary>
    public const string PurgeFailed = "PurgeFailed";
}
