/// One problem with one input field, named by its JSON path (`petitioner.phone`).
public struct FieldError: Equatable, Sendable {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// Every problem found in one input, reported together.
public struct ValidationFailure: Error, Sendable {
    public let fields: [FieldError]
    public init(_ fields: [FieldError]) { self.fields = fields }
}
