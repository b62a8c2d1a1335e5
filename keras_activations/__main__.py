from keras_activations.cli import main

main()
