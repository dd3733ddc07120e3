import MicroHTTP

extension HuiyinApp {
    static func addDocumentationRoutes(to router: inout Router<Route>) {
        // The contract is Sources/HuiyinWeb/openapi.json, compiled into the binary; the test client
        // validates every API answer the suites receive against it.
        router.add("GET", "/api/openapi.json", Route(access: .anyone) { _, _, _ in
            Response(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")],
                     body: PackageResources.openapi_json)
        })
    }
}
