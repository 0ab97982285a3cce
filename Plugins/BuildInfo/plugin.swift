import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` into the target it is applied to before every build: the commit the
/// sources were built from and whether the checkout had uncommitted changes, as
/// `scripts/build-info.sh` reads them from git.
///
/// A prebuild command, because which commit a checkout is at is not a file the build could
/// name as an input; the script rewrites the file only when its text changes, so an unchanged
/// checkout recompiles nothing.
@main
struct BuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = context.package.directoryURL.appending(path: "scripts/build-info.sh")
        return [
            .prebuildCommand(
                displayName: "Recording the commit \(target.name) is built from",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, context.package.directoryURL.path, output.appending(path: "BuildInfo.swift").path],
                outputFilesDirectory: output),
        ]
    }
}
