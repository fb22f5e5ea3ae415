//! The course content is embedded with include_dir, which cargo cannot see as an input:
//! declare the content directories so that editing a lesson rebuilds the binary.
fn main() {
    for dir in [
        "lessons",
        "exercises",
        "challenges",
        "assets",
        "src/sim/contract.rs",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
