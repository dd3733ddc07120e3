/// The State Council's holiday notices shipped with Huiyin, as published (国务院办公厅关于部分节假日安排的通知).
/// Next year's notice is loaded with `huiyin calendar import FILE` in the same format.
public enum OfficialNotices {
    public static let texts: [String] = [cn2025, cn2026]

    public static var all: [HolidayNotice] {
        texts.map { text in
            guard case .success(let notice) = HolidayNotice.parse(text) else { fatalError("a shipped notice does not parse") }
            return notice
        }
    }

    static let cn2025 = """
        # 国务院办公厅关于2025年部分节假日安排的通知
        year 2025
        off  2025-01-01              元旦
        off  2025-01-28..2025-02-04  春节
        work 2025-01-26              春节调休上班
        work 2025-02-08              春节调休上班
        off  2025-04-04..2025-04-06  清明节
        off  2025-05-01..2025-05-05  劳动节
        work 2025-04-27              劳动节调休上班
        off  2025-05-31..2025-06-02  端午节
        off  2025-10-01..2025-10-08  国庆节、中秋节
        work 2025-09-28              国庆节调休上班
        work 2025-10-11              国庆节调休上班
        """

    static let cn2026 = """
        # 国务院办公厅关于2026年部分节假日安排的通知
        year 2026
        off  2026-01-01..2026-01-03  元旦
        work 2026-01-04              元旦调休上班
        off  2026-02-15..2026-02-23  春节
        work 2026-02-14              春节调休上班
        work 2026-02-28              春节调休上班
        off  2026-04-04..2026-04-06  清明节
        off  2026-05-01..2026-05-05  劳动节
        work 2026-05-09              劳动节调休上班
        off  2026-06-19..2026-06-21  端午节
        off  2026-09-25..2026-09-27  中秋节
        off  2026-10-01..2026-10-07  国庆节
        work 2026-09-20              国庆节调休上班
        work 2026-10-10              国庆节调休上班
        """
}
