import Foundation
import MicroHTTP

/// A JSON response body as a struct: `Encodable` with snake_case `CodingKeys`, written into the `JSON`
/// value the server serializes (no JSONEncoder, no Foundation round trip). The API's rule for a member
/// with no value is null, so an Optional is written as null here; a member the wire shape leaves out
/// instead is left out by the type's own `encode(to:)`. A `JSON` member (a jsonb column) is copied verbatim,
/// a `Date` is written as ISO 8601 with fractional seconds.
protocol ResponseBody: Encodable {}

/// A response carrying `body` as JSON.
func json<Body: ResponseBody>(_ status: Int, _ body: Body) throws -> Response {
    json(status, try JSONValueEncoder.value(body))
}

extension JSON: Encodable {
    /// Only JSONValueEncoder encodes a JSON value (as itself); another encoder gets its serialized text.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(decoding: serialized(), as: UTF8.self))
    }
}

enum JSONValueEncoder {
    static func value<T: Encodable>(_ value: T) throws -> JSON {
        switch value {
        case let json as JSON: return json
        case let date as Date: return .date(date)
        default:
            let slot = Slot()
            try value.encode(to: ValueEncoder(slot: slot, codingPath: []))
            return slot.json
        }
    }
}

/// Where one value is being written; objects keep their members in the order they were encoded.
/// A plain member is stored as its value; only a nested container gets a slot of its own.
private final class Slot {
    enum Member {
        case value(JSON)
        case nested(Slot)

        var json: JSON {
            switch self {
            case .value(let value): value
            case .nested(let slot): slot.json
            }
        }
    }

    var value: JSON = .null
    var members: [(String, Member)]?
    var items: [Member]?

    var json: JSON {
        if let members { return .object(members.map { ($0.0, $0.1.json) }) }
        if let items { return .array(items.map(\.json)) }
        return value
    }
}

private struct ValueEncoder: Encoder {
    let slot: Slot
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.members == nil { slot.members = [] }
        return KeyedEncodingContainer(KeyedContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if slot.items == nil { slot.items = [] }
        return UnkeyedContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleContainer(slot: slot, codingPath: codingPath) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [CodingKey]

    private func put(_ key: Key, _ value: JSON) { slot.members!.append((key.stringValue, .value(value))) }

    private func child(_ key: Key) -> Slot {
        let child = Slot()
        slot.members!.append((key.stringValue, .nested(child)))
        return child
    }

    mutating func encodeNil(forKey key: Key) throws { put(key, .null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { put(key, try JSONValueEncoder.value(value)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(key, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(key, .double(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(key, .double(Double(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(key, .int(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(key, .int(Int64(clamping: value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(key, .int(Int64(clamping: value))) }
    // The API writes a missing value as null (synthesized Encodable would leave the member out).
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return put(key, .null) }
        put(key, try JSONValueEncoder.value(value))
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { put(key, value.map { value in .bool(value) } ?? .null) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { put(key, value.map { value in .string(value) } ?? .null) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { put(key, value.map { value in .double(value) } ?? .null) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { put(key, value.map { value in .double(Double(value)) } ?? .null) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { put(key, value.map { value in .int(Int64(value)) } ?? .null) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { put(key, value.map { value in .int(Int64(value)) } ?? .null) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { put(key, value.map { value in .int(Int64(value)) } ?? .null) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { put(key, value.map { value in .int(Int64(value)) } ?? .null) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { put(key, value.map { value in .int(value) } ?? .null) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { put(key, value.map { value in .int(Int64(clamping: value)) } ?? .null) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { put(key, value.map { value in .int(Int64(value)) } ?? .null) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { put(key, value.map { value in .int(Int64(value)) } ?? .null) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { put(key, value.map { value in .int(Int64(value)) } ?? .null) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { put(key, value.map { value in .int(Int64(clamping: value)) } ?? .null) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(slot: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        ValueEncoder(slot: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { ValueEncoder(slot: slot, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> Encoder { ValueEncoder(slot: child(key), codingPath: codingPath + [key]) }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [CodingKey]
    var count: Int { slot.items!.count }

    private func put(_ value: JSON) { slot.items!.append(.value(value)) }

    private func child() -> Slot {
        let child = Slot()
        slot.items!.append(.nested(child))
        return child
    }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { put(try JSONValueEncoder.value(value)) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.double(value)) }
    mutating func encode(_ value: Float) throws { put(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { put(.int(value)) }
    mutating func encode(_ value: UInt) throws { put(.int(Int64(clamping: value))) }
    mutating func encode(_ value: UInt8) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { put(.int(Int64(clamping: value))) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(slot: child(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        ValueEncoder(slot: child(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { ValueEncoder(slot: child(), codingPath: codingPath) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [CodingKey]

    mutating func encodeNil() throws { slot.value = .null }
    mutating func encode(_ value: Bool) throws { slot.value = .bool(value) }
    mutating func encode(_ value: String) throws { slot.value = .string(value) }
    mutating func encode(_ value: Double) throws { slot.value = .double(value) }
    mutating func encode(_ value: Float) throws { slot.value = .double(Double(value)) }
    mutating func encode(_ value: Int) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: Int8) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: Int16) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: Int32) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: Int64) throws { slot.value = .int(value) }
    mutating func encode(_ value: UInt) throws { slot.value = .int(Int64(clamping: value)) }
    mutating func encode(_ value: UInt8) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: UInt16) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: UInt32) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: UInt64) throws { slot.value = .int(Int64(clamping: value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { slot.value = try JSONValueEncoder.value(value) }
}
