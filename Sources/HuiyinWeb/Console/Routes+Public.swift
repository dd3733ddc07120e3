import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The petitioner's pages (多网访、少走访): the online petition form and the tracking page, in plain
/// language, mobile-first, without script. They go through the same intake and tracking code as the
/// API, with its validation and its guessing throttle.
extension HuiyinApp {
    static let publicCSRFCookie = "huiyin_public_csrf"

    static func addPublicRoutes(to router: inout Router<Route>) {
        router.add("GET", "/petition", Route(access: .anyone) { app, request, _ in
            app.publicPage(request, "petition", title: "网上信访", app.petitionForm())
        })
        router.add("POST", "/petition", Route(access: .anyone) { app, request, _ in
            guard let form = app.publicForm(request) else {
                return app.publicPage(request, "petition", title: "网上信访", app.petitionForm(errors: ["页面已过期，请重新填写提交。"]))
            }
            guard Self.nulFields(form).isEmpty else {
                return app.publicPage(request, "petition", title: "网上信访",
                                      app.petitionForm(errors: ["填写内容含有无法识别的字符，请删除后重新提交。"]), status: 422)
            }
            guard let unitID = try app.configuration.publicUnitID ?? app.store.rootUnit()?.id else { throw APIError.notFound }
            var draft = IntakeRequest.Parsed()
            draft.value.category = form["category"]
            draft.value.summary = form["summary"]
            draft.value.petitioner = PetitionerDraft(name: form["name"], phone: form["phone"], idNumber: nil, address: nil, isMinor: nil)
            // Whose matter it is: sent when she names someone else or says how old the person is.
            let relation = form["victim_relation"].flatMap { $0.isEmpty ? nil : $0 } ?? VictimRelation.petitioner.rawValue
            let ageText = (form["victim_age"] ?? "").trimmingCharacters(in: .whitespaces)
            let minor = form["victim_minor"] == "yes"
            if relation != VictimRelation.petitioner.rawValue || !ageText.isEmpty || minor {
                draft.value.victim = VictimDraft(relation: relation, age: ageText.isEmpty ? nil : Int(ageText) ?? -1, isMinor: minor ? true : nil)
            }
            do {
                let (receipt, _) = try app.submitIntake(draft, source: .publicPetition, actor: .petitioner, defaultUnitID: unitID,
                                                        idempotency: nil, scope: nil)
                return app.publicPage(request, "petition_done", title: "提交成功",
                                      PetitionDoneView(tracking_no: receipt.trackingNo, query_code: receipt.queryCode ?? ""))
            } catch let error as APIError where error.status == 422 {
                let words = ["petitioner.name": "请填写姓名", "petitioner.phone": "请填写正确的手机号码", "summary": "请写明问题和诉求",
                             "category": "请选择问题类别", "victim.age": "请填写正确的当事人年龄（0–120周岁）",
                             "victim.relation": "请选择反映的是谁的事情"]
                let errors = error.fields.map { words[$0.field] ?? "请检查填写内容" }
                // What she typed stays in the form.
                var page = app.petitionForm(errors: Array(Set(errors)).sorted(), category: form["category"], relation: form["victim_relation"])
                page.victim_age = form["victim_age"] ?? ""
                page.victim_minor = form["victim_minor"] == "yes"
                page.name = form["name"] ?? ""
                page.phone = form["phone"] ?? ""
                page.summary = form["summary"] ?? ""
                return app.publicPage(request, "petition", title: "网上信访", page, status: 422)
            }
        })
        router.add("GET", "/track", Route(access: .anyone) { app, request, _ in
            app.publicPage(request, "track", title: "进度查询", TrackView(tracking_no: request.query["tracking_no"] ?? ""))
        })
        router.add("POST", "/track", Route(access: .anyone) { app, request, _ in
            guard let form = app.publicForm(request) else {
                return app.publicPage(request, "track", title: "进度查询", TrackView(error: "页面已过期，请重新查询。"))
            }
            guard Self.nulFields(form).isEmpty else {
                return app.publicPage(request, "track", title: "进度查询", TrackView(error: "跟踪编号或查询码含有无法识别的字符。"), status: 422)
            }
            let number = (form["tracking_no"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            switch try app.store.track(trackingNo: number, code: form["code"] ?? "", clientAddress: request.remoteAddress,
                                       throttle: app.configuration.trackingThrottle) {
            case .throttled(let seconds):
                return app.publicPage(request, "track", title: "进度查询", TrackView(
                    tracking_no: number, error: "查询失败次数过多，请 \((seconds + 59) / 60) 分钟后再试。"), status: 429)
            case .notFound:
                return app.publicPage(request, "track", title: "进度查询", TrackView(
                    tracking_no: number, error: "跟踪编号或查询码不正确，请核对后重试。"), status: 404)
            case .found(let view):
                let result = TrackResult(
                    status: ConsoleLabels.status(view.status), category: ConsoleLabels.category(view.category),
                    received_on: view.receivedOn.chineseText, updated: ConsoleLabels.time(view.lastUpdatedAt, in: app.store.timeZone),
                    documents: view.documents.map { TrackDocument(title: $0.title, number: $0.number, issued_on: $0.issuedOn.chineseText,
                                                                  paragraphs: $0.body.components(separatedBy: "\n\n")) },
                    review: view.reviewWindow.map(reviewAdvice))
                return app.publicPage(request, "track", title: "进度查询", TrackView(tracking_no: number, result: result))
            }
        })
    }

    /// A public page with a fresh double-submit token for its form.
    func publicPage(_ request: Request, _ template: String, title: String, _ context: some PublicPageView, status: Int = 200) -> Response {
        let token = Secrets.newToken()
        var context = context
        context.csrf = token
        return Console.page(status, title: title, template: template, context, isPublic: true,
                            headers: [Console.cookie(Self.publicCSRFCookie, token, secure: secureCookies(request))])
    }

    /// The petition form, with the problems to fix (if any) and her earlier choices selected.
    func petitionForm(errors: [String]? = nil, category: String? = nil, relation: String? = nil) -> PetitionView {
        PetitionView(categories: categoryOptions(selected: category), victim_relations: victimRelationOptions(selected: relation),
                     errors: errors, has_errors: errors != nil)
    }

    /// The form's fields if its token matches the cookie the page set (no other site can post it).
    func publicForm(_ request: Request) -> [String: String]? {
        guard let form = request.formFields(), let expected = request.cookies[Self.publicCSRFCookie], !expected.isEmpty,
              let echoed = form["_csrf"], Secrets.constantTimeEqual(Data(echoed.utf8), Data(expected.utf8)) else { return nil }
        return form
    }
}
