using Postroom.Config.Addressing;

namespace Postroom.Config.Tests;

public sealed class AddressTests
{
    [Theory]
    [InlineData("Example.COM", "example.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("XN--BCHER-KVA.example", "xn--bcher-kva.example")]
    [InlineData("localhost", "localhost")]
    [InlineData("a-b.c-d.example", "a-b.c-d.example")]
    public void Domains_normalise_to_lower_case_a_labels(string input, string expected)
    {
        Assert.True(DomainName.TryNormalize(input, out var normalized, out _));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("exa mple.com")]
    [InlineData("example.com.")]
    [InlineData("-example.com")]
    [InlineData("example..com")]
    [InlineData("[192.0.2.1]")]
    [InlineData("under_score.example")]
    [InlineData("a\0b.example")]
    public void Invalid_domains_are_refused_with_a_reason(string input)
    {
        Assert.False(DomainName.TryNormalize(input, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Overlong_domains_are_refused()
    {
        var label = new string('a', 63);
        Assert.False(DomainName.TryNormalize(string.Join('.', label, label, label, label, "example"), out _, out var error));
        Assert.Contains("253", error, StringComparison.Ordinal);
        Assert.False(DomainName.TryNormalize(new string('a', 64) + ".example", out _, out _));
    }

    [Theory]
    [InlineData("Jane.Doe", "jane.doe")]
    [InlineData("o'brien", "o'brien")]
    [InlineData("user+tag", "user+tag")]
    [InlineData("JÖRG", "jörg")]
    public void Local_parts_normalise(string input, string expected)
    {
        Assert.True(LocalPart.TryNormalize(input, out var normalized, out _));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(".jane")]
    [InlineData("jane.")]
    [InlineData("ja..ne")]
    [InlineData("jane doe")]
    [InlineData("jane@doe")]
    [InlineData("\"jane\"")]
    [InlineData("ja\0ne")]
    [InlineData("ja(ne)")]
    [InlineData("ja\rne")]
    public void Invalid_local_parts_are_refused(string input)
    {
        Assert.False(LocalPart.TryNormalize(input, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Local_parts_longer_than_64_octets_are_refused()
    {
        Assert.True(LocalPart.TryNormalize(new string('a', 64), out _, out _));
        Assert.False(LocalPart.TryNormalize(new string('a', 65), out _, out _));
        // 33 two-octet characters are 66 octets.
        Assert.False(LocalPart.TryNormalize(new string('é', 33), out _, out _));
    }

    [Theory]
    [InlineData("Jane@Example.com", "jane@example.com")]
    [InlineData("jane@bücher.example", "jane@xn--bcher-kva.example")]
    [InlineData("a@b@example.com", null)]
    [InlineData("@example.com", null)]
    [InlineData("jane@", null)]
    public void Addresses_split_at_the_last_at_sign(string input, string? expected)
    {
        var parsed = MailAddress.TryParse(input, out var address, out _);
        Assert.Equal(expected is not null, parsed);
        if (expected is not null)
        {
            Assert.Equal(expected, address.ToString());
        }
    }
}
