extension DynamicMessage {
    /// Brings entries appended in arrival order into normal form, applying protobuf's parse rules
    /// in one pass after a sort instead of once per field:
    /// - ascending field numbers, stable, so a repeated field keeps its wire order;
    /// - one value per singular field: the last scalar, or the messages merged in arrival order;
    /// - no zero value for a field with implicit presence;
    /// - at most one member per oneof: the one that arrived last.
    mutating func normalize(_ layout: Layout) {
        let arrivals = entries.indices.sorted { lhs, rhs in
            let left = entries[lhs].number
            let right = entries[rhs].number
            return left != right ? left < right : lhs < rhs
        }
        var normal: [Entry] = []
        normal.reserveCapacity(entries.count)
        // For each entry of `normal`, the arrival index of the value it keeps.
        var lastArrival: [Int] = []
        lastArrival.reserveCapacity(entries.count)
        let oneofCutoffs = self.oneofCutoffs()
        var hint = 0
        var start = 0
        while start < arrivals.count {
            let number = entries[arrivals[start]].number
            var end = start + 1
            while end < arrivals.count && entries[arrivals[end]].number == number { end += 1 }
            guard let traits = layout.traits(of: number, hint: &hint) else {
                preconditionFailure("field \(number) is not in the schema")
            }
            if traits.isRepeated {
                for position in start..<end {
                    normal.append(entries[arrivals[position]])
                    lastArrival.append(arrivals[position])
                }
            } else if traits.messageIndex >= 0 && end - start > 1 {
                // Setting another member of the same oneof clears this one, so only the arrivals
                // after the last such member merge.
                let cutoff = oneofCutoffs[number] ?? -1
                let merged = arrivals[start..<end].filter { $0 > cutoff }
                normal.append(merging(merged.isEmpty ? arrivals[(end - 1)..<end] : merged[...], as: traits))
                lastArrival.append(arrivals[end - 1])
            } else if !(traits.omitsZero && entries[arrivals[end - 1]].value.isImplicitDefault) {
                normal.append(entries[arrivals[end - 1]])
                lastArrival.append(arrivals[end - 1])
            }
            start = end
        }
        entries = normal
        keepLastOneofMembers(lastArrival, layout)
    }

    /// One entry holding the messages at `positions` merged in order. Protobuf defines merging as
    /// decoding the concatenated encodings, which for values in arrival order is concatenating
    /// their entries and unknown fields, then normalizing.
    private func merging(_ positions: ArraySlice<Int>, as traits: FieldTraits) -> Entry {
        var merged = DynamicMessage(messageIndex: traits.messageIndex, pool: pool)
        for position in positions {
            guard let part = entries[position].value.messageValue else {
                preconditionFailure("field \(traits.number) holds a non-message value")
            }
            merged.entries.append(contentsOf: part.entries)
            part.unknownFields.bytes.withUnsafeBytes { merged.unknownFields.append($0) }
        }
        merged.normalize(Layout(pool: pool, messageIndex: traits.messageIndex))
        let value: DynamicValue = traits.type == .group ? .group(merged) : .message(merged)
        return Entry(number: traits.number, type: traits.type, isPacked: false, value: value)
    }

    /// For each member of a real oneof that was set, the last arrival index of any *other* member of
    /// the same oneof (absent when no other member arrived).
    private func oneofCutoffs() -> [Int32: Int] {
        let message = pool.messages[messageIndex]
        guard message.oneofs.contains(where: { !$0.isSynthetic }) else { return [:] }
        // The last arrival of each member, grouped by oneof.
        var lastByOneof: [Int: [Int32: Int]] = [:]
        for (arrival, entry) in entries.enumerated() {
            guard let oneof = message.field(number: entry.number)?.oneofIndex, !message.oneofs[oneof].isSynthetic
            else { continue }
            lastByOneof[oneof, default: [:]][entry.number] = arrival
        }
        var cutoffs: [Int32: Int] = [:]
        for members in lastByOneof.values where members.count > 1 {
            for number in members.keys {
                cutoffs[number] = members.filter { $0.key != number }.values.max()
            }
        }
        return cutoffs
    }

    /// Removes every oneof member but the one that arrived last; `lastArrival` is parallel to
    /// ``entries``.
    private mutating func keepLastOneofMembers(_ lastArrival: [Int], _ layout: Layout) {
        var removals: [Int] = []
        for oneof in pool.messages[messageIndex].oneofs where !oneof.isSynthetic {
            var winner: Int?
            for fieldIndex in oneof.fieldIndices {
                guard let index = entryRange(of: layout.fields[fieldIndex].number).first else { continue }
                if let current = winner, lastArrival[current] > lastArrival[index] {
                    removals.append(index)
                } else {
                    if let current = winner { removals.append(current) }
                    winner = index
                }
            }
        }
        for index in removals.sorted(by: >) { entries.remove(at: index) }
    }
}
