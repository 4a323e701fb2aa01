extension DynamicMessage {
    /// What storing a value of one field needs to know, read once from its descriptor.
    struct FieldTraits {
        let number: Int32
        let type: FieldDescriptor.FieldType
        let isRepeated: Bool
        let isPacked: Bool
        /// A proto3 singular scalar (implicit presence): a zero value means "not set", so it is
        /// neither kept nor written. Map-entry fields are exempt; entries always carry both.
        let omitsZero: Bool
        /// The message type of a message or group field, else -1.
        let messageIndex: Int
        /// The enum type of a field of a closed (proto2) enum, else -1.
        let closedEnumIndex: Int
        /// The containing message's oneof, else -1. Synthetic oneofs (proto3 `optional`) count as
        /// none: they have one member, so setting it clears nothing.
        let oneofIndex: Int
        /// A string that must be valid UTF-8 (proto3, editions by default; not proto2).
        let checksUTF8: Bool

        /// Reads `fields[index]` property by property: passing the element itself would copy the
        /// whole descriptor (a dozen retains) for every field decoded.
        init(_ fields: borrowing [FieldDescriptor], _ index: Int, pool: borrowing DescriptorPool, inMapEntry: Bool) {
            number = fields[index].number
            type = fields[index].type
            isRepeated = fields[index].label == .repeated
            isPacked = fields[index].isPacked
            omitsZero = !isRepeated && !fields[index].hasPresence && !inMapEntry
            messageIndex = fields[index].messageIndex ?? -1
            if let enumIndex = fields[index].enumIndex, pool.enums[enumIndex].isClosed {
                closedEnumIndex = enumIndex
            } else {
                closedEnumIndex = -1
            }
            oneofIndex = fields[index].isProto3Optional ? -1 : (fields[index].oneofIndex ?? -1)
            checksUTF8 = fields[index].validatesUTF8
        }
    }

    /// The parts of a message descriptor that decoding and building consult per field, fetched
    /// once per message rather than once per field.
    struct Layout {
        let pool: DescriptorPool
        let messageIndex: Int
        let fields: [FieldDescriptor]
        /// Indices into ``fields`` in ascending number order.
        let order: [Int]
        let isMapEntry: Bool

        init(pool: DescriptorPool, messageIndex: Int) {
            self.pool = pool
            self.messageIndex = messageIndex
            fields = pool.messages[messageIndex].fields
            order = pool.messages[messageIndex].fieldIndicesByNumber
            isMapEntry = pool.messages[messageIndex].isMapEntry
        }

        /// The traits of field `number`, a field of this message or an extension of it.
        ///
        /// `hint` is a position in ``order``; fields usually arrive in number order, so the field
        /// at the hint or just after it is tried before a binary search.
        func traits(of number: Int32, hint: inout Int) -> FieldTraits? {
            if hint < order.count && fields[order[hint]].number == number {
                return FieldTraits(fields, order[hint], pool: pool, inMapEntry: isMapEntry)
            }
            if hint + 1 < order.count && fields[order[hint + 1]].number == number {
                hint += 1
                return FieldTraits(fields, order[hint], pool: pool, inMapEntry: isMapEntry)
            }
            var low = 0
            var high = order.count
            while low < high {
                let middle = (low + high) / 2
                if fields[order[middle]].number < number { low = middle + 1 } else { high = middle }
            }
            if low < order.count && fields[order[low]].number == number {
                hint = low
                return FieldTraits(fields, order[low], pool: pool, inMapEntry: isMapEntry)
            }
            let key = DescriptorPool.ExtensionKey(extendee: messageIndex, number: number)
            guard let extensionIndex = pool.extensionIndexByKey[key] else { return nil }
            return FieldTraits(pool.extensions, extensionIndex, pool: pool, inMapEntry: false)
        }

        /// Indices into ``fields`` of the members of oneof `oneofIndex`.
        func oneofMembers(_ oneofIndex: Int) -> [Int] {
            pool.messages[messageIndex].oneofs[oneofIndex].fieldIndices
        }
    }

    // MARK: Storing

    /// Stores a value with protobuf's parse semantics: repeated fields append; singular fields
    /// replace (last one wins), clear the other members of their oneof, and for implicit
    /// presence drop a zero value. Merging singular messages is up to the caller.
    mutating func store(_ value: DynamicValue, as traits: FieldTraits, layout: Layout) {
        let entry = Entry(number: traits.number, type: traits.type, isPacked: traits.isPacked, value: value)
        if traits.isRepeated {
            appendRepeated(entry)
            return
        }
        if traits.oneofIndex >= 0 {
            clearOneof(traits.oneofIndex, except: traits.number, layout: layout)
        }
        let range = entryRange(of: traits.number)
        if traits.omitsZero && value.isImplicitDefault {
            if !range.isEmpty { entries.removeSubrange(range) }
        } else if range.count == 1 {
            entries[range.lowerBound] = entry
        } else if range.isEmpty && range.lowerBound == entries.count {
            entries.append(entry)
        } else {
            entries.replaceSubrange(range, with: CollectionOfOne(entry))
        }
    }

    /// Adds `entry` after the other values of its field.
    mutating func appendRepeated(_ entry: Entry) {
        // The common case: the field is the highest-numbered one so far.
        if let last = entries.last, last.number > entry.number {
            entries.insert(entry, at: entryRange(of: entry.number).upperBound)
        } else {
            entries.append(entry)
        }
    }

    /// Removes every value of field `number`.
    mutating func removeEntries(of number: Int32) {
        let range = entryRange(of: number)
        if !range.isEmpty { entries.removeSubrange(range) }
    }

    /// Removes the members of oneof `oneofIndex` other than `number`.
    mutating func clearOneof(_ oneofIndex: Int, except number: Int32, layout: Layout) {
        for fieldIndex in layout.oneofMembers(oneofIndex) where layout.fields[fieldIndex].number != number {
            removeEntries(of: layout.fields[fieldIndex].number)
        }
    }
}
