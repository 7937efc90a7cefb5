"""The sentences the window and the command line both show about a run (playground.core.run_notes)."""

from playground.core.run_notes import batch_size_note, final_figures, run_end_notice, target_reached


def test_a_batch_larger_than_the_training_set_is_explained():
    assert batch_size_note(512, 250) == ("batch size 512 is larger than the 250 training samples; "
                                         "each step uses all 250")
    assert batch_size_note(250, 250) == "" and batch_size_note(10, 250) == ""
    assert batch_size_note(512, 0) == "", "no note before the data is known"
    assert batch_size_note(20000, 1437) == ("batch size 20,000 is larger than the 1,437 training samples; "
                                            "each step uses all 1,437")


def test_the_translator_sees_the_template_before_it_is_filled_in():
    seen = []
    note = batch_size_note(64, 32, lambda text: seen.append(text) or text.replace("batch size", "Batchgröße"))
    assert seen == ["batch size {asked} is larger than the {n_train} training samples; each step uses all {n_train}"]
    assert note == "Batchgröße 64 is larger than the 32 training samples; each step uses all 32"


def test_the_end_of_a_run_names_its_final_test_figures_and_the_target():
    scores = {"train_loss": 0.05, "test_loss": 0.07412, "train_accuracy": 0.99, "test_accuracy": 0.98}
    assert run_end_notice("finished", 1500, scores) == \
        "Training finished at step 1,500. Test accuracy 98.0%, test loss 0.07412."
    target = {"metric": "test_accuracy", "at_least": 0.95, "at_most": None}
    assert final_figures(scores, target) == \
        "test accuracy 98.0%, test loss 0.07412; target test accuracy ≥ 0.95 reached"
    missed = {"metric": "test_loss", "at_least": None, "at_most": 0.01}
    assert final_figures(scores, missed).endswith("target test loss ≤ 0.01 not reached")
    assert target_reached(scores, target) is True and target_reached(scores, missed) is False
    assert target_reached(scores, None) is None and target_reached(scores, {"metric": "modes_covered"}) is None
    gan = {"test_loss": 1.4, "modes_covered": 8.0, "high_quality": 0.973}
    assert final_figures(gan, {"metric": "modes_covered", "at_least": 8, "at_most": None}) == \
        "test loss 1.4, modes covered 8; target modes covered ≥ 8 reached"


def test_early_stopping_says_the_best_weights_are_kept():
    text = run_end_notice("early_stopped", 900, {"test_loss": 0.2, "test_accuracy": 0.9})
    assert text.startswith("Stopped early at step 900: the test loss had stopped improving")
    assert text.endswith("were kept. Test accuracy 90.0%, test loss 0.2.")
    assert run_end_notice("finished", 3, None) == "Training finished at step 3."
