import Foundation
import HavenCore
import HavenData
import HavenServices

/// The integration form, on the list page (add) and the integration's page (edit): values kept on error, errors beside fields.
struct IntegrationForm: Sendable {
    var errors: ErrorSummary
    var action: String
    var isNew: Bool
    var name: FormField
    var kinds: [Choice]
    var kindError: String?
    var outboundUrl: FormField
    var certified: Bool
    var certifiedError: String?
    var certificate: FormField
    var policeUrn: FormField
    var level1Response: Bool
    var level1Error: String?
    var responseAgreement: String
    var responseAgreementError: String?

    init(form: FormInput?, integration: LoneWorkingIntegration?, errors: FieldErrors, action: String) {
        self.errors = ErrorSummary(errors)
        self.action = action
        isNew = integration == nil
        name = FormField("name", "Name", value: form?["name"] ?? integration?.name ?? "",
                         hint: "Who will post events, for example: the alarm receiving centre, or the device supplier's platform", errors: errors)
        let kind = form?["kind"] ?? integration?.kind.rawValue ?? IntegrationKind.devicePlatform.rawValue
        kinds = IntegrationKind.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == kind) }
        kindError = errors["kind"]
        outboundUrl = FormField("outboundUrl", "Address escalation steps call", value: form?["outboundUrl"] ?? integration?.outboundURL ?? "",
                                hint: "Alarm receiving centres only: a step naming this centre posts the alert here, signed with this integration's secret",
                                type: "url", required: false, errors: errors)
        certified = form.map { $0["bs8484Certified"] == "1" } ?? integration?.bs8484Certified ?? false
        certifiedError = errors["bs8484Certified"]
        certificate = FormField("certificateReference", "BS 8484 certificate reference",
                                value: form?["certificateReference"] ?? integration?.certificateReference ?? "",
                                hint: "Needed when the service is certified, so an auditor can check it", required: false, errors: errors)
        policeUrn = FormField("policeUrn", "Police unique reference number (URN)", value: form?["policeUrn"] ?? integration?.policeURN ?? "",
                              hint: "Issued by the police force for this service; the centre quotes it when it calls them", required: false, errors: errors)
        level1Response = form.map { $0["level1Response"] == "1" } ?? integration?.level1Response ?? false
        level1Error = errors["level1Response"]
        responseAgreement = form?["responseAgreement"] ?? integration?.responseAgreement ?? ""
        responseAgreementError = errors["responseAgreement"]
    }
}

struct IntegrationsPage: Sendable {
    var csrfToken: String
    struct Row: Sendable {
        var href: String
        var name: String
        var kind: String
        var status: String
        var lastUsed: String
    }
    var rows: [Row]
    var hasRows: Bool
    var form: IntegrationForm
}

struct IntegrationPage: Sendable {
    var csrfToken: String
    struct Rejection: Sendable {
        var when: String
        var reason: String
        var address: String
    }
    struct Call: Sendable {
        var when: String
        var status: String
        var detail: String
    }
    var name: String
    var kind: String
    var active: Bool
    var status: String
    var created: String
    var lastUsed: String
    var certification: String
    var police: String
    var responseAgreement: String
    /// Shown once, in the answer that created the integration.
    var token: String?
    var secret: String?
    var endpoint: String
    var revokeAction: String
    var form: IntegrationForm
    var calls: [Call]
    var hasCalls: Bool
    var isCentre: Bool
    var rejections: [Rejection]
    var hasRejections: Bool
}
