import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Pages for the device register (administrators and safety leads). Plain forms: everything works without JavaScript.
struct DevicesController {
    let web: WebContext
    var store: LoneWorkingStore { web.environment.loneWorking.store }
    var now: Date { web.environment.clock.now() }

    func register(_ routes: Routes) {
        routes.add(.get, LoneWorkingRoute.devices.path, .manageLoneWorkingDevices) { request, context, identity in
            try await devicesPage(request, context, identity, form: nil, errors: FieldErrors())
        }
        routes.add(.post, LoneWorkingRoute.devices.path, .manageLoneWorkingDevices) { request, context, identity in
            let form = try await FormInput(request, context: context)
            do {
                let device = try await DeviceInput.apply(Self.fields(form), to: nil, organisationId: identity.organisation.id,
                                                         environment: web.environment, now: now)
                try await store.save(device, isNew: true, origin: context.origin())
                return .redirect(to: LoneWorkingRoute.device(device.id).path + "?done=added", type: .normal)
            } catch let errors as FieldErrors {
                return try await devicesPage(request, context, identity, form: form, errors: errors, status: .badRequest)
            }
        }
        routes.add(.get, "/lone-working/devices/{id}", .manageLoneWorkingDevices) { request, context, identity in
            try await devicePage(request, context, identity, form: nil, errors: FieldErrors())
        }
        routes.add(.post, "/lone-working/devices/{id}", .manageLoneWorkingDevices) { request, context, identity in
            let existing = try await device(context, identity)
            let form = try await FormInput(request, context: context)
            do {
                let device = try await DeviceInput.apply(Self.fields(form), to: existing, organisationId: identity.organisation.id,
                                                         environment: web.environment, now: now)
                try await store.save(device, isNew: false, origin: context.origin())
                return .redirect(to: LoneWorkingRoute.device(device.id).path + "?done=saved", type: .normal)
            } catch let errors as FieldErrors {
                return try await devicePage(request, context, identity, form: form, errors: errors, status: .badRequest)
            }
        }
        // Retire (the device was returned, lost or replaced) or return to use; a retired device's events are refused.
        routes.add(.post, "/lone-working/devices/{id}/status", .manageLoneWorkingDevices) { request, context, identity in
            let existing = try await device(context, identity)
            let form = try await FormInput(request, context: context)
            var fields = DeviceInput.Fields()
            fields.active = form["active"] == "1"
            let device = try await DeviceInput.apply(fields, to: existing, organisationId: identity.organisation.id, environment: web.environment, now: now)
            try await store.save(device, isNew: false, origin: context.origin())
            return .redirect(to: LoneWorkingRoute.device(device.id).path + (device.active ? "?done=reissued" : "?done=retired"), type: .normal)
        }
    }

    static func fields(_ form: FormInput) -> DeviceInput.Fields {
        DeviceInput.Fields(reference: form["deviceId"] ?? "", userId: form["userId"] ?? "", unitId: form["unitId"] ?? "", supplier: form["supplier"] ?? "",
                           certified: form["bs8484Certified"] == "1", certificate: form["certificateReference"] ?? "", active: nil)
    }

    func device(_ context: HavenRequestContext, _ identity: Identity) async throws -> LoneWorkingDevice {
        guard let device = try await store.device(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw PageError.notFound }
        return device
    }

    func devicesPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, form: FormInput?, errors: FieldErrors,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let organisation = identity.organisation
        let devices = try await store.devices(organisationId: organisation.id)
        let (people, units) = try await names(organisation)
        let page = DevicesPage(
            csrfToken: context.csrfToken, canManageIntegrations: Access.allows(identity.actor, .manageIntegrations),
            rows: devices.map { device in
                DevicesPage.Row(href: LoneWorkingRoute.device(device.id).path, reference: device.reference, person: people[device.userId] ?? "",
                                unit: units[device.unitId] ?? "", supplier: device.supplier.isEmpty ? "Not recorded" : device.supplier,
                                certified: device.bs8484Certified ? "Yes: \(device.certificateReference)" : "No",
                                status: device.active ? "In use" : "Retired")
            },
            hasRows: !devices.isEmpty,
            form: try await DeviceForm(form: form, device: nil, errors: errors, action: LoneWorkingRoute.devices.path, environment: web.environment,
                                       organisation: organisation))
        return try await web.page("lone-working/devices", page, title: "Lone-worker devices", request: request, context: context, status: status)
    }

    func devicePage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, form: FormInput?, errors: FieldErrors,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let organisation = identity.organisation
        let device = try await device(context, identity)
        let events = try await store.alarmEvents(organisationId: organisation.id, deviceId: device.id, limit: 50)
        let integrations = Dictionary(uniqueKeysWithValues: try await store.integrations(organisationId: organisation.id).map { ($0.id, $0.name) })
        let page = DevicePage(
            csrfToken: context.csrfToken, reference: device.reference, active: device.active,
            status: device.active ? "In use since \(DisplayDate.dateTime(device.issuedAt, organisation))"
                : "Retired \(device.retiredAt.map { DisplayDate.dateTime($0, organisation) } ?? "")",
            form: try await DeviceForm(form: form, device: device, errors: errors, action: LoneWorkingRoute.device(device.id).path,
                                       environment: web.environment, organisation: organisation),
            statusAction: LoneWorkingRoute.device(device.id).path + "/status",
            events: events.map { event in
                DevicePage.Event(when: DisplayDate.dateTime(event.receivedAt, organisation), what: event.kind.displayName,
                                 via: integrations[event.integrationId] ?? "", result: Self.describe(event.result),
                                 href: event.sessionId.map { LoneWorkingRoute.session($0).path })
            },
            hasEvents: !events.isEmpty)
        let flash: String? = switch request.uri.queryParameters["done"] {
        case "added": "The device has been added to the register."
        case "saved": "The device has been saved."
        case "retired": "The device has been retired: events from it are now refused."
        case "reissued": "The device is back in use."
        default: nil
        }
        return try await web.page("lone-working/device", page, title: "Device \(device.reference)", request: request, context: context,
                                  status: status, flash: flash)
    }

    func names(_ organisation: Organisation) async throws -> (people: [String: String], units: [String: String]) {
        let people = try await web.environment.users.list(organisationId: organisation.id, scope: .all)
        let units = try await web.environment.organisations.units(organisationId: organisation.id)
        return (Dictionary(people.map { ($0.id, $0.name) }) { a, _ in a }, Dictionary(units.map { ($0.id, $0.name) }) { a, _ in a })
    }

    static func describe(_ result: AlarmEventResult) -> String {
        switch result {
        case .testRecorded: "Test recorded (nobody called out)"
        case .alarmRaised: "Raised the alarm on the visit"
        case .joinedAlarm: "Joined the alarm already standing"
        case .sessionOpened: "Opened an alarm session (not on a visit)"
        }
    }
}
