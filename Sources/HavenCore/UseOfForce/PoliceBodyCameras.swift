import Foundation

/// s12 of the Act: a police officer going to a mental health unit to assist its staff must take a body camera when
/// reasonably practicable, and wear it and keep it operating while there, unless special circumstances justify not
/// doing so. The record says whether police attended and what their cameras did, so whoever reviews a restraint the
/// police took part in knows whether there is footage to ask for. One answer covers both questions, so a form cannot
/// say "no police" and "cameras on" at once.
public enum PoliceBodyCameras: String, Sendable, Codable, CaseIterable {
    case noPolice = "no-police"
    case onThroughout = "on-throughout"
    case onInPart = "on-in-part"
    case notWorn = "not-worn"
    case notKnown = "not-known"

    public var label: String {
        switch self {
        case .noPolice: "No police officers attended"
        case .onThroughout: "Police attended; their body cameras were on throughout"
        case .onInPart: "Police attended; their body cameras were on for part of the time"
        case .notWorn: "Police attended without body cameras"
        case .notKnown: "Police attended; not known whether their cameras were on"
        }
    }

    public var policeAttended: Bool { self != .noPolice }

    /// The Act expects the cameras on throughout; when they were not, the record says why (not reasonably
    /// practicable, or the special circumstances).
    public var needsReason: Bool { self == .onInPart || self == .notWorn }

    public static var validValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// What the record says about the police and recorded footage (all optional: REFERENCE §15 C 23).
public struct PoliceAndFootage: Sendable, Codable, Equatable {
    /// nil when the recorder did not say.
    public var bodyCameras: PoliceBodyCameras?
    /// The force the officers came from, for a footage request.
    public var force: String?
    /// Why the cameras were not on throughout.
    public var bodyCameraReason: String?
    /// Where recorded footage is held: the police reference or the unit's own camera system's clip. Any episode may
    /// have one, as many units have staff body-worn cameras of their own.
    public var footageReference: String?

    public init(bodyCameras: PoliceBodyCameras? = nil, force: String? = nil, bodyCameraReason: String? = nil, footageReference: String? = nil) {
        self.bodyCameras = bodyCameras; self.force = force; self.bodyCameraReason = bodyCameraReason; self.footageReference = footageReference
    }
}

extension UseOfForceDraft {
    /// Checks the police and footage answers against each other and against s6(5)(i).
    func validatedPoliceAndFootage(into errors: inout FieldErrors) -> PoliceAndFootage {
        var result = PoliceAndFootage()
        let answer = (policeBodyCameras ?? "").trimmingCharacters(in: .whitespaces)
        if !answer.isEmpty {
            if let cameras = PoliceBodyCameras(rawValue: answer) {
                result.bodyCameras = cameras
                if cameras.policeAttended && nonStaffInvolved == false {
                    errors.add("policeBodyCameras", "s6(5)(i): police officers are not staff; answer yes to whether anyone other than "
                               + "staff was involved, and say why the police were")
                }
            } else {
                errors.add("policeBodyCameras", "s12: \(answer) is not an answer; choose one of \(PoliceBodyCameras.validValues)")
            }
        }
        let attended = result.bodyCameras?.policeAttended == true
        let force = Validate.text(policeForce, field: "policeForce", label: "The police force", required: false, max: 200, into: &errors)
        let reason = Validate.text(policeBodyCameraReason, field: "policeBodyCameraReason", label: "Why the cameras were not on throughout", required: false, max: 2000,
                                   into: &errors)
        if !attended && !force.isEmpty {
            errors.add("policeForce", "s12: name the police force only when police officers attended")
        }
        if !attended && !reason.isEmpty {
            errors.add("policeBodyCameraReason", "s12: give a reason about body cameras only when police officers attended")
        } else if result.bodyCameras?.needsReason == true && reason.isEmpty {
            errors.add("policeBodyCameraReason", "s12: say why the body cameras were not on throughout (the Act expects them worn and "
                       + "on unless that was not reasonably practicable or special circumstances justified it)")
        }
        let footage = Validate.text(footageReference, field: "footageReference", label: "The footage reference", required: false, max: 200,
                                    into: &errors)
        result.force = force.nilIfEmpty
        result.bodyCameraReason = reason.nilIfEmpty
        result.footageReference = footage.nilIfEmpty
        return result
    }
}
