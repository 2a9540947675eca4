namespace Postroom.ProxyProtocol;

/// <summary>Outcome of <see cref="ProxyHeaderParser.TryParse"/>.</summary>
public enum ProxyParseStatus
{
    /// <summary>Every byte seen so far is a valid prefix of a header; read more and call again.</summary>
    NeedMoreData,

    /// <summary>A complete, valid header was parsed.</summary>
    Success,

    /// <summary>The bytes are not a valid PROXY protocol header; the connection must be closed.</summary>
    Invalid,
}
