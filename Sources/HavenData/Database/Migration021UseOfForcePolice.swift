extension Migrations {
    /// s12 of the Act (police body cameras): whether police attended an episode and whether their cameras were on,
    /// the force, why the cameras were not on throughout, and where recorded footage is held. All optional, so
    /// records made before this have NULL ("not said").
    static let useOfForcePolice: [Migration] = [
        Migration(version: 21, name: "use-of-force-police-body-cameras", statements: [
            "ALTER TABLE use_of_force_episodes ADD COLUMN police_body_cameras TEXT",
            "ALTER TABLE use_of_force_episodes ADD COLUMN police_force TEXT",
            "ALTER TABLE use_of_force_episodes ADD COLUMN police_body_camera_reason TEXT",
            "ALTER TABLE use_of_force_episodes ADD COLUMN footage_reference TEXT",
        ]),
    ]
}
