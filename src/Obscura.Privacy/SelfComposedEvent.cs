namespace Obscura.Privacy;

/// <summary><see cref="Event"/> run <see cref="Count"/> times, each run on fresh randomness.</summary>
public sealed record SelfComposedEvent : DpEvent
{
    /// <summary>Creates the event.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> &lt; 1.</exception>
    public SelfComposedEvent(DpEvent @event, long count)
    {
        ArgumentNullException.ThrowIfNull(@event);
        PrivacyArgument.RequireSteps(count, nameof(count));
        Event = @event;
        Count = count;
    }

    /// <summary>The repeated event.</summary>
    public DpEvent Event { get; }

    /// <summary>How many times it runs (the steps), at least 1.</summary>
    public long Count { get; }

    /// <inheritdoc />
    public override string Describe() => $"{Event.Describe()} × {Count}";
}
