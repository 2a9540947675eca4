namespace Postroom.Queue.Tests;

public sealed class QueueIdTests
{
    [Fact]
    public void Ids_are_26_url_safe_characters_and_unique()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => QueueId.New()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.Equal(QueueId.Length, id.Value.Length);
            Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", id.Value);
            Assert.Equal(id.Value, Uri.EscapeDataString(id.Value));
        });
    }

    [Fact]
    public void Ids_sort_by_creation_time_as_values_and_as_strings()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var ids = Enumerable.Range(0, 500).Select(i => QueueId.New(start + TimeSpan.FromMilliseconds(i * 7919 % 500))).ToList();

        var byValue = ids.Order().ToList();
        var byString = ids.OrderBy(i => i.Value, StringComparer.Ordinal).ToList();
        Assert.Equal(byValue, byString);
        Assert.Equal(ids.Select(i => i.Timestamp).Order(), byValue.Select(i => i.Timestamp));
        Assert.True(QueueId.New(start) < QueueId.New(start + TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void Timestamp_and_parse_roundtrip()
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_123_456);
        var id = QueueId.New(time);

        Assert.Equal(time, id.Timestamp);
        Assert.Equal(id, QueueId.Parse(id.Value));
        Assert.Equal(id, QueueId.Parse(id.Value.ToLowerInvariant()));
        Assert.Equal(id.Value, id.ToString());
        Assert.True(id == QueueId.Parse(id.ToString()));
        Assert.Equal(DateTimeOffset.UnixEpoch, default(QueueId).Timestamp);
        Assert.Equal("", default(QueueId).Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01JDQ4")]
    [InlineData("01JDQ4ABCDEFGHJKMNPQRSTVWXY")]
    [InlineData("01JDQ4ABCDEFGHJKMNPQRSTVWI")]
    [InlineData("01JDQ4ABCDEFGHJKMNPQRSTVW-")]
    [InlineData("81JDQ4ABCDEFGHJKMNPQRSTVWX")]
    public void Invalid_text_is_rejected(string? text)
    {
        Assert.False(QueueId.TryParse(text, out _));
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => QueueId.Parse(text));
        }
    }

    [Fact]
    public void Times_before_1970_are_rejected_and_the_last_representable_time_works()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueId.New(DateTimeOffset.UnixEpoch - TimeSpan.FromMilliseconds(1)));
        var last = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.MaxValue.ToUnixTimeMilliseconds());
        Assert.Equal(last, QueueId.New(last).Timestamp);
        Assert.Equal(DateTimeOffset.UnixEpoch, QueueId.New(DateTimeOffset.UnixEpoch).Timestamp);
    }
}
