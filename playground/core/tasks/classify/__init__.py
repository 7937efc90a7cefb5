"""Classification, image classification and regression: one network scored on its outputs.

- :mod:`task` is the task's part of the training loop (data, network, step, evaluation, views, outputs);
- :mod:`metrics` the loss, targets and scores (confusion matrix, per-class precision/recall/F1, ROC-AUC);
- :mod:`views` the decision surface over the plane; :mod:`outputs` the class report of a run folder.
"""
