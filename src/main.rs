fn main() {
    for kind in sysdesign::sim::kinds() {
        println!("{}", kind.name);
    }
}
