import HuiyinCore

/// A contact's channel objects (`call`, `letter`, `visit`) in JSON, both ways: read from an intake body and
/// written in a case's contacts. Each sits under its channel's name, and only for that channel.
extension IntakeDraft {
    mutating func readChannelObjects(_ reader: inout FieldReader, errors: inout [FieldError]) {
        if var call = reader.object("call") {
            subLine = call.string("sub_line")
            errors += call.finish()
        }
        if var object = reader.object("letter") {
            letter = LetterDraft(receivedOn: object.string("received_on"), sender: object.string("sender"),
                                 onBehalf: object.bool("on_behalf"))
            errors += object.finish()
        }
        if var visit = reader.object("visit") {
            visitWindow = visit.string("window")
            visitVisitors = visit.int("visitors").map { Int(clamping: $0) }
            errors += visit.finish()
        }
    }
}

enum ChannelObjectKey: String, CodingKey { case call, letter, visit }

extension ChannelDetails {
    /// Writes the channel's object under its name (nothing for an online petition).
    func encode(into container: inout KeyedEncodingContainer<ChannelObjectKey>) throws {
        switch self {
        case .call(let line): try container.encode(CallView(subLine: line), forKey: .call)
        case .letter(let letter): try container.encode(LetterView(sender: letter.sender, onBehalf: letter.onBehalf), forKey: .letter)
        case .visit(let window, let visitors):
            try container.encode(VisitView(window: window, visitors: visitors,
                                           collective: visitors >= ChannelDetails.collectiveVisitThreshold), forKey: .visit)
        case .online: break
        }
    }

    struct CallView: Encodable {
        let subLine: String
        enum CodingKeys: String, CodingKey { case subLine = "sub_line" }
    }

    struct LetterView: Encodable {
        /// Null (the response encoder writes nil as null) on a sealed case read from outside it.
        let sender: String?
        let onBehalf: Bool
        enum CodingKeys: String, CodingKey { case sender, onBehalf = "on_behalf" }
    }

    struct VisitView: Encodable {
        let window: String
        let visitors: Int
        let collective: Bool
    }
}
