extension LocalDate {
    /// The date as written in Chinese documents, without leading zeros: `2026年11月24日`.
    public var chineseText: String { "\(year)年\(month)月\(day)日" }
}
