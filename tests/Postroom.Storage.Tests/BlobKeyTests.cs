namespace Postroom.Storage.Tests;

/// <summary>
/// Key rules that theory data can't carry (xunit's serialisation turns a lone surrogate into
/// U+FFFD), and the difference between keys and prefixes.
/// </summary>
public sealed class BlobKeyTests
{
    [Fact]
    public void Lone_surrogates_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => BlobKey.Validate("lone\uD800surrogate"));
        Assert.Throws<ArgumentException>(() => BlobKey.Validate("low\uDC00first"));
        Assert.Throws<ArgumentException>(() => BlobKey.ValidatePrefix("lone\uD800"));
        BlobKey.Validate("pair-\uD83D\uDE42-ok");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/")]
    [InlineData("a/.h")]
    [InlineData(".")]
    [InlineData(".hidden/")]
    public void Prefixes_may_be_empty_end_with_slash_or_end_mid_segment(string prefix)
    {
        BlobKey.ValidatePrefix(prefix);
        if (prefix.Length == 0 || prefix.EndsWith('/'))
        {
            Assert.Throws<ArgumentException>(() => BlobKey.Validate(prefix));
        }
    }

    [Fact]
    public void Null_key_throws_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => BlobKey.Validate(null!));
        Assert.Throws<ArgumentNullException>(() => BlobKey.ValidatePrefix(null!));
    }
}
