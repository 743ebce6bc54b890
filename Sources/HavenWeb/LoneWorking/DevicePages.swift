import Foundation
import HavenCore
import HavenServices

/// The device form, on the register page (add) and the device page (edit): values kept on error, errors beside fields.
struct DeviceForm: Sendable {
    var errors: ErrorSummary
    var action: String
    var isNew: Bool
    var reference: FormField
    var people: [Choice]
    var userError: String?
    var units: [Choice]
    var unitError: String?
    var supplier: FormField
    var certified: Bool
    var certificate: FormField

    init(form: FormInput?, device: LoneWorkingDevice?, errors: FieldErrors, action: String, environment: HavenEnvironment,
         organisation: Organisation) async throws {
        let people = try await environment.users.list(organisationId: organisation.id, scope: .all).filter(\.active)
        let units = try await environment.organisations.units(organisationId: organisation.id)
        let userId = form?["userId"] ?? device?.userId ?? ""
        let unitId = form?["unitId"] ?? device?.unitId ?? ""
        self.errors = ErrorSummary(errors)
        self.action = action
        isNew = device == nil
        reference = FormField("deviceId", "Device id or serial number", value: form?["deviceId"] ?? device?.reference ?? "",
                              hint: "Exactly as the supplier's platform sends it with each alarm", errors: errors)
        self.people = people.map { Choice(value: $0.id, label: $0.name, selected: $0.id == userId) }
        userError = errors["userId"]
        self.units = units.map { Choice(value: $0.id, label: $0.name, selected: $0.id == unitId) }
        unitError = errors["unitId"]
        supplier = FormField("supplier", "Supplier", value: form?["supplier"] ?? device?.supplier ?? "", required: false, errors: errors)
        certified = form.map { $0["bs8484Certified"] == "1" } ?? device?.bs8484Certified ?? false
        certificate = FormField("certificateReference", "BS 8484 certificate reference", value: form?["certificateReference"] ?? device?.certificateReference ?? "",
                                hint: "Needed when the service is certified, so an auditor can check it", required: false, errors: errors)
    }
}

struct DevicesPage: Sendable {
    /// Forms carry the request's CSRF token (the layout's is not in the page's own context).
    var csrfToken: String
    var canManageIntegrations: Bool
    struct Row: Sendable {
        var href: String
        var reference: String
        var person: String
        var unit: String
        var supplier: String
        var certified: String
        var status: String
    }
    var rows: [Row]
    var hasRows: Bool
    var form: DeviceForm
}

struct DevicePage: Sendable {
    var csrfToken: String
    struct Event: Sendable {
        var when: String
        var what: String
        var via: String
        var result: String
        var href: String?
    }
    var reference: String
    var active: Bool
    var status: String
    var form: DeviceForm
    var statusAction: String
    var events: [Event]
    var hasEvents: Bool
}
