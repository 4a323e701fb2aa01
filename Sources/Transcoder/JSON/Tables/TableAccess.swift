/// Borrowed access to the codec's tables.
///
/// Reading a class reference out of an array retains it for as long as the reader holds it, and
/// both directions look up a table for every nested message, map and enum value: about fifty
/// atomic retain/release pairs per kitchen-sink message. The tables live exactly as long as the
/// codec (its `messages` and `enums` arrays own them and never change), so the printer and the
/// parser borrow them through the unmanaged references `messageRefs` and `enumRefs` instead.
///
/// Take the reference out of the array at the call (`codec.messageRefs[i].borrow { ... }`): a
/// codec method taking the caller's closure would make the caller retain the codec instead,
/// since the closure may change the caller, which holds the codec. (`mapEntryFields` takes no
/// closure, so it costs nothing.)
extension Unmanaged {
    /// Calls `body` with the table, borrowed for the call.
    @inline(__always)
    func borrow<Result>(_ body: (Instance) throws(TranscodingError) -> Result) throws(TranscodingError) -> Result {
        let outcome: Swift.Result<Result, TranscodingError> = _withUnsafeGuaranteedRef { table in
            do throws(TranscodingError) {
                return .success(try body(table))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Calls `body`, which cannot fail, with the table, borrowed for the call.
    @inline(__always)
    func read<Result>(_ body: (Instance) -> Result) -> Result {
        _withUnsafeGuaranteedRef(body)
    }
}

extension ProtoJSONCodec {
    /// The key and value fields of map entry message `index`.
    @inline(__always)
    func mapEntryFields(_ index: Int) -> (key: FieldInfo, value: FieldInfo) {
        messageRefs[index].read { ($0.fields[0], $0.fields[1]) }
    }
}
