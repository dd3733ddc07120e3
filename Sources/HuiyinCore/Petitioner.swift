/// The person a matter concerns (信访人). Every field may be missing: a frightened caller may
/// give no name and withhold her number, and her call must still be logged.
public struct Petitioner: Equatable, Sendable {
    public var name: String?
    public var phone: PhoneNumber?
    public var idNumber: ResidentIDNumber?
    public var address: String?
    public var isMinor: Bool

    public init(name: String? = nil, phone: PhoneNumber? = nil, idNumber: ResidentIDNumber? = nil,
                address: String? = nil, isMinor: Bool = false) {
        self.name = name
        self.phone = phone
        self.idNumber = idNumber
        self.address = address
        self.isMinor = isMinor
    }
}

/// Petitioner fields as typed in, before validation.
public struct PetitionerDraft: Sendable {
    public var name: String?
    public var phone: String?
    public var idNumber: String?
    public var address: String?
    public var isMinor: Bool?

    public init(name: String? = nil, phone: String? = nil, idNumber: String? = nil, address: String? = nil,
                isMinor: Bool? = nil) {
        self.name = name
        self.phone = phone
        self.idNumber = idNumber
        self.address = address
        self.isMinor = isMinor
    }
}
