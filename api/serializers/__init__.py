"""The API's input and output shapes, one module per resource. Inputs check types and sizes;
the services own the rules."""
