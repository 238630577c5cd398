extension Array {
    /// Empties the array and keeps its buffer only if it holds at most `limit` elements: a buffer
    /// that a burst grew (100,000 registrations in one pass) is given back rather than kept for
    /// good, while the buffers of steady traffic are reused without an allocation per pass.
    @inlinable
    public mutating func removeAll(keepingCapacityUpTo limit: Int) {
        if capacity > limit { self = [] } else { removeAll(keepingCapacity: true) }
    }
}
