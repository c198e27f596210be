#version 300 es
// shadow.frag - depth only (the shadow map has no colour attachment).
precision mediump float;

void main()
{
}
