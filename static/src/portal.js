// Starts every GOV.UK Frontend component on the page (error summary focus,
// password reveal, service navigation menu, notification banners...).
import { initAll } from './govuk-frontend.min.js'

initAll()
