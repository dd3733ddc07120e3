import MicroHTTP

extension HuiyinApp {
    static func addDocumentationRoutes(to router: inout Router<Route>) {
        router.add("GET", "/api/openapi.json", Route(access: .anyone) { _, _, _ in
            Response(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")],
                     body: Array(OpenAPIDocument.text.utf8))
        })
    }
}
