namespace Postroom.Imap.Session;

/// <summary>RFC 3501 §3: the states of a connection.</summary>
public enum ImapState
{
    NotAuthenticated,
    Authenticated,
    Selected,
    Logout,
}
