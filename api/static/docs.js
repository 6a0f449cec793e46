// Starts Swagger UI on /docs from the app's own OpenAPI document (no inline script: the CSP forbids it).
window.addEventListener('load', () => {
  window.SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
});
