namespace Obscura.Privacy;

/// <summary>Several events run one after the other on the same data, each on fresh randomness.</summary>
public sealed record ComposedEvent : DpEvent
{
    /// <summary>Creates the event.</summary>
    /// <exception cref="ArgumentException">No events were given.</exception>
    public ComposedEvent(IReadOnlyList<DpEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("a composed event needs at least one event", nameof(events));
        }
        Events = events.ToArray();
    }

    /// <summary>The parts, in order.</summary>
    public IReadOnlyList<DpEvent> Events { get; }

    /// <inheritdoc />
    public override string Describe() => "[" + string.Join(", ", Events.Select(e => e.Describe())) + "]";
}
