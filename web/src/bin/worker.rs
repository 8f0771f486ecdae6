use driftwise_web::codec::JsonCodec;
use driftwise_web::worker::CheckWorker;
use gloo_worker::Registrable;

fn main() {
    CheckWorker::registrar().encoding::<JsonCodec>().register();
}
