import Foundation

/// One bound parameter: its type OID and its value in text or binary form.
public struct PostgresBind: Sendable {
    public enum Value: Sendable {
        case null
        case text(String)
        case binary([UInt8])
    }
    public let typeOID: UInt32
    public let value: Value

    public init(typeOID: UInt32, value: Value) {
        self.typeOID = typeOID
        self.value = value
    }
}

/// A statement whose interpolations become bind parameters:
/// `"SELECT * FROM t WHERE id = \(id)"` is sent as `… WHERE id = $1` with `id` bound.
/// SQL text that must be spliced in verbatim has to say so: `\(unescaped: "ORDER BY x")`.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    public private(set) var sql: String
    public private(set) var binds: [PostgresBind]

    public init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PostgresBind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            append(PostgresBind(typeOID: Value.postgresTypeOID, value: value.postgresValue))
        }

        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            append(PostgresBind(typeOID: Value.postgresTypeOID, value: value?.postgresValue ?? .null))
        }

        /// Raw SQL. Only for text the program itself wrote, never for input.
        public mutating func appendInterpolation(unescaped sqlText: String) {
            sql += sqlText
        }

        /// Another query's text and binds, its `$n` placeholders renumbered after ours: one condition
        /// written once and used in several statements. The fragment's SQL must be program-written and
        /// hold no `$` of its own (no dollar-quoting, no `$` inside string literals).
        public mutating func appendInterpolation(fragment: PostgresQuery) {
            let offset = binds.count
            var scalars = fragment.sql.unicodeScalars.makeIterator()
            var pending = scalars.next()
            while let scalar = pending {
                pending = scalars.next()
                guard scalar == "$", let first = pending, ("0"..."9").contains(first) else {
                    sql.unicodeScalars.append(scalar)
                    continue
                }
                var digits = ""
                while let digit = pending, ("0"..."9").contains(digit) {
                    digits.unicodeScalars.append(digit)
                    pending = scalars.next()
                }
                sql += "$\(Int(digits)! + offset)"
            }
            binds += fragment.binds
        }

        private mutating func append(_ bind: PostgresBind) {
            binds.append(bind)
            sql += "$\(binds.count)"
        }
    }
}

/// A Swift value that can be bound as a parameter.
public protocol PostgresEncodable {
    static var postgresTypeOID: UInt32 { get }
    var postgresValue: PostgresBind.Value { get }
}

extension String: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { 25 }  // text
    public var postgresValue: PostgresBind.Value { .text(self) }
}

extension Int: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { 20 }  // int8
    public var postgresValue: PostgresBind.Value { .text(String(self)) }
}

extension Int64: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { 20 }
    public var postgresValue: PostgresBind.Value { .text(String(self)) }
}

extension Int32: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { 23 }  // int4
    public var postgresValue: PostgresBind.Value { .text(String(self)) }
}

extension Bool: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { 16 }
    public var postgresValue: PostgresBind.Value { .text(self ? "t" : "f") }
}

extension Double: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { 701 }  // float8
    public var postgresValue: PostgresBind.Value { .text(String(self)) }
}

extension Data: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { 17 }  // bytea, sent binary
    public var postgresValue: PostgresBind.Value { .binary(Array(self)) }
}

extension Date: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { 1184 }  // timestamptz
    public var postgresValue: PostgresBind.Value { .text(PostgresTimestamp.format(self)) }
}

extension Array: PostgresEncodable where Element == Int64 {
    public static var postgresTypeOID: UInt32 { 1016 }  // int8[]
    public var postgresValue: PostgresBind.Value {
        .text("{" + map(String.init).joined(separator: ",") + "}")
    }
}

/// A `text[]` parameter, for statements that insert many rows at once through `unnest`.
/// Elements may be NULL; cast in SQL for other element types (`$1::date[]`).
public struct PostgresTextArray: PostgresEncodable, Sendable {
    public let elements: [String?]
    public init(_ elements: [String?]) { self.elements = elements }

    public static var postgresTypeOID: UInt32 { 1009 }  // text[]
    public var postgresValue: PostgresBind.Value {
        var literal = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { literal += "," }
            guard let element else { literal += "NULL"; continue }
            literal += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return .text(literal + "}")
    }
}
