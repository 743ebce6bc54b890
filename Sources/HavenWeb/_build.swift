enum _PlaceholderHavenWeb {}
