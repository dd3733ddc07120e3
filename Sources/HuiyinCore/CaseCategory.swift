/// The federation's categories of petition matters.
public enum CaseCategory: String, CaseIterable, Sendable {
    case marriageFamily = "marriage_family"
    case domesticViolence = "domestic_violence"
    case sexualAssault = "sexual_assault"
    case minorsRights = "minors_rights"
    case laborSocialSecurity = "labor_social_security"
    case propertyRights = "property_rights"
    case personalRights = "personal_rights"
    case other = "other"

    public var label: String {
        switch self {
        case .marriageFamily: return "婚姻家庭纠纷"
        case .domesticViolence: return "家庭暴力"
        case .sexualAssault: return "性侵害"
        case .minorsRights: return "未成年人权益"
        case .laborSocialSecurity: return "劳动和社会保障权益"
        case .propertyRights: return "财产权益"
        case .personalRights: return "人身权利"
        case .other: return "其他"
        }
    }
}
