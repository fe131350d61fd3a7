//! Fuzz target `deliveries`: arbitrary bytes through [`locatieadvies::fuzz::run`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    locatieadvies::fuzz::run("deliveries", data);
});
