"""Views of classifiers and regressors: the decision boundary, the neuron view, the forward inspector and the
image views (:mod:`.images`)."""
