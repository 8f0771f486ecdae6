use driftwise_web::codec::JsonCodec;
use driftwise_web::worker::DesiredWorker;
use gloo_worker::Registrable;

fn main() {
    DesiredWorker::registrar()
        .encoding::<JsonCodec>()
        .register();
}
