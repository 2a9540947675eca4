namespace Postroom.Pop3.Session;

/// <summary>The states of RFC 1939 §3.</summary>
public enum Pop3State
{
    /// <summary>Greeted; waiting for USER/PASS or AUTH (STLS and CAPA allowed).</summary>
    Authorization,

    /// <summary>Logged in, the maildrop locked and its snapshot taken.</summary>
    Transaction,

    /// <summary>QUIT in TRANSACTION: deletions are being applied, then the session ends.</summary>
    Update,
}
