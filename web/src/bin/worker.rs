use driftwise_web::codec::JsonCodec;
use driftwise_web::worker::EngineWorker;
use gloo_worker::Registrable;

fn main() {
    EngineWorker::registrar().encoding::<JsonCodec>().register();
    driftwise_web::worker::prime();
    driftwise_web::worker::warm_up_soon();
}
